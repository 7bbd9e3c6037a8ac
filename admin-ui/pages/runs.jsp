<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Workflow runs · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Workflow runs</h1>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <form class="filters" method="get" action="${pageContext.request.contextPath}/admin/runs">
        <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
        <label>Workflow
          <select name="workflow">
            <option value="">any</option>
            <c:forEach var="w" items="${workflows}">
              <option value="<c:out value='${w}'/>" ${param.workflow == w ? 'selected' : ''}><c:out value="${w}"/></option>
            </c:forEach>
          </select>
        </label>
        <label>State
          <select name="state">
            <option value="">any</option>
            <c:forEach var="s" items="${states}">
              <option value="<c:out value='${s}'/>" ${param.state == s ? 'selected' : ''}><c:out value="${s}"/></option>
            </c:forEach>
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <%@ include file="filter-errors.jspf" %>
      <c:choose>
        <c:when test="${empty runs}">
          <p id="none">No runs<c:if test="${pageNumber > 1}"> on this page</c:if>.</p>
        </c:when>
        <c:otherwise>
          <table id="runs">
            <thead><tr><th>Run</th><th>Workflow</th><th>State</th><th>Record</th><th>Created</th><th>Started</th>
              <th>Finished</th><th class="number">Duration</th><th>Error</th></tr></thead>
            <tbody>
            <c:forEach var="row" items="${runs}">
              <c:set var="r" value="${row.run()}"/>
              <tr data-run="<c:out value='${r.id()}'/>">
                <td><a href="${pageContext.request.contextPath}/admin/runs/<c:out value='${r.id()}'/>?tenant=<c:out value='${tenant}'/>"><code><c:out value="${r.id()}"/></code></a></td>
                <td class="workflow"><c:out value="${r.workflow()}"/> <span class="muted">v<c:out value="${r.workflowVersion()}"/></span></td>
                <td class="state"><span class="badge state-<c:out value='${r.state()}'/>"><c:out value="${r.state()}"/></span></td>
                <td><code><c:out value="${r.recordId()}"/></code></td>
                <td><c:out value="${r.createdAt()}"/></td>
                <td><c:out value="${r.startedAt()}"/></td>
                <td><c:out value="${r.finishedAt()}"/></td>
                <td class="number"><c:out value="${row.duration()}"/></td>
                <td><c:out value="${r.error()}"/></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
        </c:otherwise>
      </c:choose>
      <%@ include file="pager.jspf" %>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
