<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Session · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <c:choose>
    <c:when test="${empty tenant}">
      <h1>Session</h1>
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <c:set var="s" value="${detail.session()}"/>
      <p><a href="${pageContext.request.contextPath}/admin/sessions?tenant=<c:out value='${tenant}'/>">&larr; Sessions</a></p>
      <h1>Session <code><c:out value="${s.id()}"/></code></h1>
      <dl id="session-summary" class="summary">
        <dt>Agent</dt><dd class="agent"><c:out value="${empty s.agentName() ? s.agentId() : s.agentName()}"/> v<c:out value="${s.agentVersion()}"/></dd>
        <dt>State</dt><dd class="state"><c:out value="${s.state()}"/></dd>
        <dt>Turns</dt><dd class="turns"><c:out value="${s.turns()}"/></dd>
        <dt>Started</dt><dd><c:out value="${s.startedAt()}"/></dd>
        <dt>Last activity</dt><dd><c:out value="${s.lastActivityAt()}"/></dd>
        <c:if test="${not empty s.endedAt()}"><dt>Ended</dt><dd><c:out value="${s.endedAt()}"/></dd></c:if>
      </dl>

      <h2>Cost</h2>
      <table id="cost">
        <thead><tr><th>Model</th><th>Provider</th><th class="number">Calls</th><th class="number">Failed</th>
          <th class="number">Input tokens</th><th class="number">Output tokens</th><th class="number">Cached tokens</th>
          <th class="number">Cost</th></tr></thead>
        <tbody>
        <c:forEach var="m" items="${cost.byModel()}">
          <tr data-model="<c:out value='${m.model()}'/>">
            <td><c:out value="${m.model()}"/></td><td><c:out value="${m.provider()}"/></td>
            <td class="number"><c:out value="${m.calls()}"/></td><td class="number"><c:out value="${m.failed()}"/></td>
            <td class="number"><c:out value="${m.inputTokens()}"/></td><td class="number"><c:out value="${m.outputTokens()}"/></td>
            <td class="number"><c:out value="${m.cachedTokens()}"/></td><td class="number"><c:out value="${m.amount().toPlainString()}"/></td>
          </tr>
        </c:forEach>
        </tbody>
        <tfoot>
          <tr class="total">
            <th colspan="2">Total</th><td class="number calls"><c:out value="${cost.calls()}"/></td><td></td>
            <td class="number input-tokens"><c:out value="${cost.inputTokens()}"/></td>
            <td class="number output-tokens"><c:out value="${cost.outputTokens()}"/></td>
            <td class="number cached-tokens"><c:out value="${cost.cachedTokens()}"/></td>
            <td class="number amount"><c:out value="${cost.amount().toPlainString()}"/></td>
          </tr>
        </tfoot>
      </table>

      <h2>Transcript</h2>
      <c:choose>
        <c:when test="${empty detail.turns()}">
          <p class="muted">No turns<c:if test="${s.state() == 'evicted'}">: the session was evicted, only its totals are kept</c:if>.</p>
        </c:when>
        <c:otherwise>
          <ol id="transcript">
            <c:forEach var="t" items="${detail.turns()}">
              <li class="turn state-<c:out value='${t.state()}'/>" data-turn="<c:out value='${t.number()}'/>">
                <p class="meta">Turn <c:out value="${t.number()}"/> · <span class="state"><c:out value="${t.state()}"/></span>
                  · received <c:out value="${t.receivedAt()}"/>
                  <c:if test="${not empty t.finishedAt()}"> · finished <c:out value="${t.finishedAt()}"/></c:if>
                  · model <c:out value="${t.modelMillis()}"/> ms</p>
                <div class="input"><span class="who">User</span><pre><c:out value="${t.input()}"/></pre></div>
                <c:if test="${not empty t.answer()}">
                  <div class="answer"><span class="who">Agent</span><pre><c:out value="${t.answer()}"/></pre></div>
                </c:if>
                <c:if test="${not empty t.error()}">
                  <div class="turn-error"><span class="who">Error</span><pre><c:out value="${t.error()}"/></pre></div>
                </c:if>
              </li>
            </c:forEach>
          </ol>
        </c:otherwise>
      </c:choose>

      <h2>Timeline</h2>
      <table id="timeline">
        <thead><tr><th>At</th><th>Turn</th><th>State or step</th><th>Detail</th></tr></thead>
        <tbody>
        <c:forEach var="m" items="${detail.timeline()}">
          <tr class="moment">
            <td><c:out value="${m.at()}"/></td>
            <td><c:out value="${m.turn() == 0 ? '' : m.turn()}"/></td>
            <td class="what"><c:out value="${m.what()}"/></td>
            <td><c:out value="${m.detail()}"/></td>
          </tr>
        </c:forEach>
        </tbody>
      </table>

      <c:if test="${not empty detail.confirmations()}">
        <h2>Confirmations</h2>
        <table id="confirmations">
          <thead><tr><th>Turn</th><th>Tool</th><th>State</th><th>Asked</th><th>Decided</th><th>By</th><th>Comment</th></tr></thead>
          <tbody>
          <c:forEach var="k" items="${detail.confirmations()}">
            <tr>
              <td><c:out value="${k.turn()}"/></td><td><c:out value="${k.tool()}"/></td><td><c:out value="${k.state()}"/></td>
              <td><c:out value="${k.requestedAt()}"/></td><td><c:out value="${k.decidedAt()}"/></td>
              <td><c:out value="${k.decidedBy()}"/></td><td><c:out value="${k.comment()}"/></td>
            </tr>
          </c:forEach>
          </tbody>
        </table>
      </c:if>

      <h2>Events</h2>
      <table id="events">
        <thead><tr><th class="number">#</th><th>At</th><th>Type</th><th>Data</th></tr></thead>
        <tbody>
        <c:forEach var="e" items="${events}">
          <tr data-event="<c:out value='${e.seq()}'/>">
            <td class="number"><c:out value="${e.seq()}"/></td><td><c:out value="${e.at()}"/></td>
            <td class="type"><c:out value="${e.type()}"/></td><td><code class="json"><c:out value="${e.data()}"/></code></td>
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
