<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Models · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Providers and models<c:if test="${not empty tenantSlug}"> of <c:out value="${tenantSlug}"/></c:if></h1>
  <c:choose>
    <c:when test="${empty tenant}"><%@ include file="choose-tenant.jspf" %></c:when>
    <c:otherwise>
      <h2>Provider accounts</h2>
      <c:choose>
        <c:when test="${empty providers}"><p id="no-providers">No provider accounts: only the built-in model.</p></c:when>
        <c:otherwise>
          <table id="providers">
            <thead><tr><th>Name</th><th>Type</th><th>Base URL</th><th>Credential</th><th>Updated</th></tr></thead>
            <tbody>
            <c:forEach var="p" items="${providers}">
              <tr data-provider="<c:out value='${p.name()}'/>">
                <td class="name"><c:out value="${p.name()}"/></td>
                <td class="type"><c:out value="${p.type()}"/></td>
                <td class="base-url"><code><c:out value="${empty p.baseUrl() ? 'the type’s own' : p.baseUrl()}"/></code></td>
                <td class="credential"><c:choose>
                  <c:when test="${p.credentialSet()}">set (<c:forEach var="n" items="${p.credentialNames()}" varStatus="at"><c:if test="${not at.first}">, </c:if><c:out value="${n}"/></c:forEach>)</c:when>
                  <c:otherwise>not set</c:otherwise>
                </c:choose></td>
                <td><c:out value="${p.updatedAt()}"/></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
        </c:otherwise>
      </c:choose>

      <h2>Models</h2>
      <p class="hint">Prices per million tokens, in the installation's currency. Fallbacks are chosen per agent (see
        Agents).</p>
      <table id="models">
        <thead><tr><th>Name</th><th>Provider account</th><th>Provider's model</th><th>Input</th><th>Output</th>
          <th>Cached input</th></tr></thead>
        <tbody>
        <c:forEach var="m" items="${models}">
          <tr data-model="<c:out value='${m.name()}'/>">
            <td class="name"><c:out value="${m.name()}"/><c:if test="${m.builtIn()}"> <span class="tag">built in</span></c:if></td>
            <td class="provider"><c:out value="${m.provider()}"/></td>
            <td><code><c:out value="${m.providerModel()}"/></code></td>
            <td class="input-price"><c:out value="${m.inputPrice().stripTrailingZeros().toPlainString()}"/></td>
            <td class="output-price"><c:out value="${m.outputPrice().stripTrailingZeros().toPlainString()}"/></td>
            <td class="cached-price"><c:out value="${empty m.cachedInputPrice() ? 'as input' : m.cachedInputPrice().stripTrailingZeros().toPlainString()}"/></td>
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
