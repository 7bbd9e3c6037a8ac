<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API keys · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>API keys<c:if test="${not empty tenantSlug}"> of <c:out value="${tenantSlug}"/></c:if></h1>
  <c:choose>
    <c:when test="${empty tenant}"><%@ include file="choose-tenant.jspf" %></c:when>
    <c:when test="${empty keys}"><p id="none">This tenant has no API keys.</p></c:when>
    <c:otherwise>
      <p class="hint">Keys are known by their prefix; their secrets are shown once, when issued, and never kept.</p>
      <table id="keys">
        <thead><tr><th>Prefix</th><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th>State</th></tr>
        </thead>
        <tbody>
        <c:forEach var="k" items="${keys}">
          <tr data-key="<c:out value='${k.id()}'/>">
            <td class="prefix"><code>stw_<c:out value="${k.prefix()}"/>_…</code></td>
            <td class="name"><c:out value="${k.name()}"/></td>
            <td class="scopes"><c:forEach var="s" items="${k.scopes()}" varStatus="at"><c:if test="${not at.first}">, </c:if><code><c:out value="${s}"/></code></c:forEach></td>
            <td><c:out value="${k.createdAt()}"/></td>
            <td class="last-used"><c:out value="${empty k.lastUsedAt() ? 'never' : k.lastUsedAt()}"/></td>
            <td class="state"><c:choose><c:when test="${k.active()}">active</c:when><c:otherwise>revoked <c:out value="${k.revokedAt()}"/></c:otherwise></c:choose></td>
          </tr>
        </c:forEach>
        </tbody>
      </table>
      <%@ include file="pager.jspf" %>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
