<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Audit trail · Steward admin</title>
  <%-- While the chain is being verified the page refreshes itself to show how far it got (no script needed). --%>
  <c:if test="${not empty check and check.running()}"><meta http-equiv="refresh" content="2"></c:if>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Audit trail</h1>
  <c:if test="${not empty notice}"><p class="notice" role="status"><c:out value="${notice}"/></p></c:if>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <section id="chain" class="chain ${empty check ? '' : (check.running() ? 'running' : (check.failed() ? 'unknown' : (check.result().valid() ? 'valid' : 'broken')))}">
        <h2>Hash chain</h2>
        <c:choose>
          <c:when test="${empty check}">
            <p>Not verified yet.</p>
          </c:when>
          <c:when test="${check.running()}">
            <p id="chain-progress">Verifying: <span class="checked"><c:out value="${check.checked()}"/></span> of
              <c:out value="${check.of()}"/> entries checked (<c:out value="${check.percent()}"/>%), since
              <c:out value="${check.startedAt()}"/>. This page refreshes until it is done.</p>
            <progress max="100" value="${check.percent()}"><c:out value="${check.percent()}"/>%</progress>
          </c:when>
          <c:when test="${check.failed()}">
            <p id="chain-result" class="error">The verification could not finish (see the server log); nothing is known about the chain from it.</p>
          </c:when>
          <c:when test="${check.result().valid()}">
            <p id="chain-result">The chain is intact: <span class="checked"><c:out value="${check.result().checked()}"/></span>
              entries checked, the last #<c:out value="${check.result().lastSeq()}"/>
              (<code><c:out value="${check.result().lastHash()}"/></code>). Verified
              <c:out value="${check.finishedAt()}"/>.</p>
          </c:when>
          <c:otherwise>
            <p id="chain-result" class="error">The chain is broken at entry #<span class="broken-at"><c:out value="${check.result().brokenAt()}"/></span>:
              <span class="problem"><c:out value="${check.result().problem()}"/></span>
              (<c:out value="${check.result().checked()}"/> of <c:out value="${check.result().entries()}"/> entries checked before it).
              Verified <c:out value="${check.finishedAt()}"/>.</p>
          </c:otherwise>
        </c:choose>
        <c:if test="${mayAct and (empty check or not check.running())}">
          <form method="post" action="${pageContext.request.contextPath}/admin/audit">
            <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
            <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
            <button id="verify" name="action" value="verify" type="submit">Verify the chain again</button>
          </form>
        </c:if>
      </section>

      <h2>Entries</h2>
      <form class="filters" method="get" action="${pageContext.request.contextPath}/admin/audit">
        <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
        <label>Action <input name="action" value="<c:out value='${param.action}'/>" placeholder="session.started"></label>
        <label>Actor <input name="actor" value="<c:out value='${param.actor}'/>" placeholder="admin:someone@example.com"></label>
        <label>From <input type="date" name="from" value="<c:out value='${param.from}'/>"></label>
        <label>to (included) <input type="date" name="to" value="<c:out value='${param.to}'/>"></label>
        <button type="submit">Search</button>
      </form>
      <%@ include file="filter-errors.jspf" %>
      <c:choose>
        <c:when test="${empty entries}">
          <p id="none">No entries<c:if test="${pageNumber > 1}"> on this page</c:if>.</p>
        </c:when>
        <c:otherwise>
          <table id="entries">
            <thead><tr><th class="number">#</th><th>At</th><th>Actor</th><th>Action</th><th>Concerns</th><th>Details</th></tr></thead>
            <tbody>
            <c:forEach var="e" items="${entries}">
              <tr data-seq="<c:out value='${e.seq()}'/>">
                <td class="number"><c:out value="${e.seq()}"/></td>
                <td><c:out value="${e.occurredAt()}"/></td>
                <td class="actor"><c:out value="${e.actor()}"/></td>
                <td class="action"><c:out value="${e.action()}"/></td>
                <td>
                  <c:if test="${not empty e.sessionId()}"><a href="${pageContext.request.contextPath}/admin/sessions/<c:out value='${e.sessionId()}'/>?tenant=<c:out value='${tenant}'/>">session</a></c:if>
                  <c:if test="${not empty e.runId()}"><a href="${pageContext.request.contextPath}/admin/runs/<c:out value='${e.runId()}'/>?tenant=<c:out value='${tenant}'/>">run</a></c:if>
                  <c:if test="${not empty e.agentId()}"><span class="muted">agent <code><c:out value="${e.agentId()}"/></code></span></c:if>
                  <c:if test="${not empty e.recordId()}"><span class="muted">record <code><c:out value="${e.recordId()}"/></code></span></c:if>
                </td>
                <td><code class="json"><c:out value="${e.details()}"/></code></td>
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
