<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Agents · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Agents<c:if test="${not empty tenantSlug}"> of <c:out value="${tenantSlug}"/></c:if></h1>
  <c:choose>
    <c:when test="${empty tenant}"><%@ include file="choose-tenant.jspf" %></c:when>
    <c:otherwise>
      <form class="filters" method="get" action="${pageContext.request.contextPath}/admin/agents">
        <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
        <label>Name contains <input id="name-filter" name="name" maxlength="63" value="<c:out value='${param.name}'/>"></label>
        <button id="filter" type="submit">Filter</button>
      </form>
      <c:choose>
        <c:when test="${empty agents}"><p id="none">No agents<c:if test="${not empty param.name}"> whose name contains that</c:if>.</p></c:when>
        <c:otherwise>
          <table id="agents">
            <thead><tr><th>Name</th><th>Kind</th><th>Version</th><th>Model or endpoint</th><th>Updated</th></tr></thead>
            <tbody>
            <c:forEach var="a" items="${agents}">
              <tr data-agent="<c:out value='${a.id()}'/>">
                <td class="name"><a href="${pageContext.request.contextPath}/admin/agents/<c:out value='${a.id()}'/>?tenant=<c:out value='${tenant}'/>"><c:out value="${a.name()}"/></a></td>
                <td class="kind"><c:out value="${a.kind()}"/></td>
                <td class="version"><c:out value="${a.version()}"/></td>
                <td class="model">
                  <c:choose>
                    <c:when test="${a.kind() == 'llm'}">
                      <code><c:out value="${a.model()}"/></code>
                      <c:if test="${not empty a.fallbackModels()}">
                        <span class="fallbacks">then <c:forEach var="f" items="${a.fallbackModels()}" varStatus="at"><c:if test="${not at.first}">, </c:if><code><c:out value="${f}"/></code></c:forEach></span>
                      </c:if>
                    </c:when>
                    <c:otherwise><code><c:out value="${a.endpoint()}"/></code> (<c:out value="${a.protocol()}"/>)</c:otherwise>
                  </c:choose>
                </td>
                <td><c:out value="${a.updatedAt()}"/></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
          <%@ include file="pager.jspf" %>
        </c:otherwise>
      </c:choose>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
