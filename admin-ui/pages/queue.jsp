<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dead letters · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Dead letters</h1>
  <c:if test="${not empty notice}"><p class="notice" role="status"><c:out value="${notice}"/></p></c:if>
  <c:choose>
    <c:when test="${empty tenant}">
      <p>Choose a tenant:</p>
      <ul id="tenant-choice">
        <c:forEach var="t" items="${tenants}">
          <li><a href="?tenant=<c:out value='${t.id()}'/>"><c:out value="${t.slug()}"/></a></li>
        </c:forEach>
      </ul>
    </c:when>
    <c:when test="${empty deadLetters}">
      <p id="none">No job failed for good.</p>
    </c:when>
    <c:otherwise>
      <table id="dead-letters">
        <thead><tr><th>Job</th><th>Kind</th><th>Tier</th><th>Attempts</th><th>Last error</th><th>Failed</th>
          <th></th></tr></thead>
        <tbody>
        <c:forEach var="d" items="${deadLetters}">
          <tr data-job="<c:out value='${d.id()}'/>">
            <td><c:out value="${d.id()}"/></td>
            <td><c:out value="${d.kind()}"/></td>
            <td><c:out value="${d.priority()}"/></td>
            <td><c:out value="${d.attempts()}"/></td>
            <td><c:out value="${d.lastError()}"/></td>
            <td><c:out value="${d.finishedAt()}"/></td>
            <td>
              <c:if test="${mayAct}">
                <form method="post" action="${pageContext.request.contextPath}/admin/queue">
                  <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
                  <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
                  <input type="hidden" name="job" value="<c:out value='${d.id()}'/>">
                  <button name="action" value="retry" type="submit">Retry</button>
                  <button name="action" value="discard" type="submit">Discard</button>
                </form>
              </c:if>
            </td>
          </tr>
        </c:forEach>
        </tbody>
      </table>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
