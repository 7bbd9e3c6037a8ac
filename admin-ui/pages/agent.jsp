<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Agent · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <c:choose>
    <c:when test="${empty tenant}"><h1>Agent</h1><%@ include file="choose-tenant.jspf" %></c:when>
    <c:otherwise>
      <p><a href="${pageContext.request.contextPath}/admin/agents?tenant=<c:out value='${tenant}'/>">&larr; Agents<c:if test="${not empty tenantSlug}"> of <c:out value="${tenantSlug}"/></c:if></a></p>
      <h1 id="agent-name"><c:out value="${agent.name()}"/></h1>
      <dl class="facts">
        <dt>Kind</dt><dd id="agent-kind"><c:out value="${agent.kind()}"/></dd>
        <dt>Current version</dt><dd id="agent-version"><c:out value="${agent.version()}"/></dd>
        <c:choose>
          <c:when test="${agent.kind() == 'llm'}">
            <dt>Model</dt><dd id="agent-model"><code><c:out value="${agent.model()}"/></code></dd>
            <dt>Fallbacks</dt><dd><c:forEach var="f" items="${agent.fallbackModels()}" varStatus="at"><c:if test="${not at.first}">, </c:if><code><c:out value="${f}"/></code></c:forEach><c:if test="${empty agent.fallbackModels()}">none</c:if></dd>
          </c:when>
          <c:otherwise>
            <dt>Endpoint</dt><dd id="agent-endpoint"><code><c:out value="${agent.endpoint()}"/></code> (<c:out value="${agent.protocol()}"/>)</dd>
          </c:otherwise>
        </c:choose>
        <dt>Created</dt><dd><c:out value="${agent.createdAt()}"/></dd>
        <dt>Updated</dt><dd><c:out value="${agent.updatedAt()}"/></dd>
        <dt>Id</dt><dd><code><c:out value="${agent.id()}"/></code></dd>
      </dl>

      <h2>What changed</h2>
      <form class="filters" id="compare" method="get" action="${pageContext.request.contextPath}/admin/agents/<c:out value='${agent.id()}'/>">
        <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
        <label>From version
          <select id="from" name="from">
            <c:forEach var="n" items="${versionNumbers}">
              <option value="${n}" <c:if test="${not empty diff and diff.from() == n}">selected</c:if>><c:out value="${n}"/></option>
            </c:forEach>
          </select>
        </label>
        <label>To version
          <select id="to" name="to">
            <c:forEach var="n" items="${versionNumbers}">
              <option value="${n}" <c:if test="${not empty diff and diff.to() == n}">selected</c:if>><c:out value="${n}"/></option>
            </c:forEach>
          </select>
        </label>
        <button id="compare-versions" type="submit">Compare</button>
      </form>
      <c:choose>
        <c:when test="${noSuchVersion}"><p id="no-such-version" class="error">This agent has no such version.</p></c:when>
        <c:when test="${empty diff}"><p id="one-version">Only one version so far: nothing to compare.</p></c:when>
        <c:when test="${empty diff.changes()}">
          <p id="no-changes">Versions <c:out value="${diff.from()}"/> and <c:out value="${diff.to()}"/> are the same.</p>
        </c:when>
        <c:otherwise>
          <p>From version <strong id="diff-from"><c:out value="${diff.from()}"/></strong> to version
            <strong id="diff-to"><c:out value="${diff.to()}"/></strong>:</p>
          <table id="diff">
            <thead><tr><th>Field</th><th>Change</th><th>Before</th><th>After</th></tr></thead>
            <tbody>
            <c:forEach var="d" items="${diff.changes()}">
              <tr class="<c:out value='${d.change()}'/>" data-path="<c:out value='${d.path()}'/>">
                <td><code><c:out value="${d.path()}"/></code></td>
                <td class="change"><c:out value="${d.change()}"/></td>
                <td class="before"><c:if test="${d.before() != null}"><pre><c:out value="${d.before()}"/></pre></c:if></td>
                <td class="after"><c:if test="${d.after() != null}"><pre><c:out value="${d.after()}"/></pre></c:if></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
        </c:otherwise>
      </c:choose>

      <h2>Versions</h2>
      <table id="versions">
        <thead><tr><th>Version</th><th>Created</th><th>By</th><th>SHA-256</th></tr></thead>
        <tbody>
        <c:forEach var="v" items="${versions}">
          <tr data-version="<c:out value='${v.version()}'/>">
            <td class="number"><c:out value="${v.version()}"/></td>
            <td><c:out value="${v.createdAt()}"/></td>
            <td class="by"><c:out value="${empty v.createdBy() ? 'unknown' : v.createdBy()}"/></td>
            <td><code><c:out value="${v.sha256().substring(0, 12)}"/></code></td>
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
