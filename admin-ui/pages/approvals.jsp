<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Approvals · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Approvals</h1>
  <c:if test="${not empty notice}"><p class="notice" role="status"><c:out value="${notice}"/></p></c:if>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:when test="${empty approvals}">
      <p id="none">Nothing waits for a decision.</p>
    </c:when>
    <c:otherwise>
      <table id="approvals">
        <thead><tr><th>Asked</th><th>Why</th><th>Node</th><th>Proposed action</th><th>Reasoning</th><th>Expires</th>
          <th>Decision</th></tr></thead>
        <tbody>
        <c:forEach var="a" items="${approvals}">
          <tr data-approval="<c:out value='${a.id()}'/>">
            <td><c:out value="${a.createdAt()}"/></td>
            <td><c:out value="${a.reason()}"/></td>
            <td><c:out value="${a.node()}"/></td>
            <td><code><c:out value="${a.action()}"/></code></td>
            <td><c:out value="${a.reasoning()}"/></td>
            <td><c:out value="${a.expiresAt()}"/></td>
            <td>
              <c:if test="${mayAct}">
                <form method="post" action="${pageContext.request.contextPath}/admin/approvals">
                  <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
                  <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
                  <input type="hidden" name="approval" value="<c:out value='${a.id()}'/>">
                  <input name="comment" maxlength="2000" placeholder="Comment">
                  <button name="decision" value="approve" type="submit">Approve</button>
                  <button name="decision" value="deny" type="submit">Deny</button>
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
