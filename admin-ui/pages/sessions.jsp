<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sessions · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Sessions</h1>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <form class="filters" method="get" action="${pageContext.request.contextPath}/admin/sessions">
        <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
        <label>Agent <input name="agent" value="<c:out value='${param.agent}'/>" placeholder="name"></label>
        <label>State
          <select name="state">
            <option value="">any</option>
            <c:forEach var="s" items="${states}">
              <option value="<c:out value='${s}'/>" ${param.state == s ? 'selected' : ''}><c:out value="${s}"/></option>
            </c:forEach>
          </select>
        </label>
        <label>Started from <input type="date" name="from" value="<c:out value='${param.from}'/>"></label>
        <label>to (included) <input type="date" name="to" value="<c:out value='${param.to}'/>"></label>
        <button type="submit">Filter</button>
      </form>
      <%@ include file="filter-errors.jspf" %>
      <c:choose>
        <c:when test="${empty sessions}">
          <p id="none">No sessions<c:if test="${pageNumber > 1}"> on this page</c:if>.</p>
        </c:when>
        <c:otherwise>
          <table id="sessions">
            <thead><tr><th>Session</th><th>Agent</th><th>State</th><th class="number">Turns</th><th>Started</th>
              <th>Last activity</th><th class="number">Tokens in / out</th><th class="number">Cost</th></tr></thead>
            <tbody>
            <c:forEach var="s" items="${sessions}">
              <tr data-session="<c:out value='${s.id()}'/>">
                <td><a href="${pageContext.request.contextPath}/admin/sessions/<c:out value='${s.id()}'/>?tenant=<c:out value='${tenant}'/>"><code><c:out value="${s.id()}"/></code></a></td>
                <td class="agent"><c:out value="${empty s.agentName() ? s.agentId() : s.agentName()}"/> <span class="muted">v<c:out value="${s.agentVersion()}"/></span></td>
                <td class="state"><c:out value="${s.state()}"/></td>
                <td class="number turns"><c:out value="${s.turns()}"/></td>
                <td><c:out value="${s.startedAt()}"/></td>
                <td><c:out value="${s.lastActivityAt()}"/></td>
                <td class="number"><c:out value="${s.inputTokens()}"/> / <c:out value="${s.outputTokens()}"/></td>
                <td class="number cost"><c:out value="${s.cost().toPlainString()}"/></td>
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
