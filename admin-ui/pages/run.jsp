<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Workflow run · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <c:choose>
    <c:when test="${empty tenant}">
      <h1>Workflow run</h1>
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <p><a href="${pageContext.request.contextPath}/admin/runs?tenant=<c:out value='${tenant}'/>">&larr; Workflow runs</a></p>
      <h1>Run of <c:out value="${run.workflow()}"/> <span class="muted">v<c:out value="${run.workflowVersion()}"/></span></h1>
      <dl id="run-summary" class="summary">
        <dt>Run</dt><dd><code><c:out value="${run.id()}"/></code></dd>
        <dt>State</dt><dd class="state"><span class="badge state-<c:out value='${run.state()}'/>"><c:out value="${run.state()}"/></span></dd>
        <c:if test="${not empty run.recordId()}"><dt>Record</dt><dd><code><c:out value="${run.recordId()}"/></code></dd></c:if>
        <dt>Created</dt><dd><c:out value="${run.createdAt()}"/></dd>
        <dt>Started</dt><dd><c:out value="${run.startedAt()}"/></dd>
        <dt>Finished</dt><dd><c:out value="${run.finishedAt()}"/></dd>
        <dt>Duration</dt><dd><c:out value="${runDuration}"/></dd>
        <c:if test="${not empty run.error()}"><dt>Error</dt><dd class="error"><c:out value="${run.error()}"/></dd></c:if>
      </dl>

      <h2>Graph</h2>
      <div class="dag-frame">
        <svg id="dag" class="dag" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="The run's workflow graph"
             width="${dag.width()}" height="${dag.height()}" viewBox="0 0 ${dag.width()} ${dag.height()}">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#667085"/>
            </marker>
          </defs>
          <c:forEach var="l" items="${dag.lines()}">
            <line class="edge${l.conditional() ? ' conditional' : ''}" data-from="<c:out value='${l.from()}'/>" data-to="<c:out value='${l.to()}'/>"
                  x1="${l.x1()}" y1="${l.y1()}" x2="${l.x2()}" y2="${l.y2()}" stroke="#667085" stroke-width="1.5"
                  ${l.conditional() ? 'stroke-dasharray="5 4"' : ''} marker-end="url(#arrow)"/>
          </c:forEach>
          <c:forEach var="b" items="${dag.boxes()}">
            <g class="node ${b.stateClass()}" data-node="<c:out value='${b.id()}'/>" data-state="<c:out value='${b.state()}'/>"
               transform="translate(${b.x()} ${b.y()})">
              <title><c:out value="${b.title()}"/> (<c:out value="${b.kind()}"/>): <c:out value="${b.stateText()}"/></title>
              <rect width="190" height="66" rx="8" ry="8" stroke-width="1.5"/>
              <text x="10" y="20" class="node-title"><c:out value="${b.shortTitle()}"/></text>
              <text x="10" y="38" class="node-state"><c:out value="${b.kind()}"/> · <c:out value="${b.shortState()}"/></text>
              <text x="10" y="56" class="node-time"><c:out value="${b.duration()}"/></text>
            </g>
          </c:forEach>
        </svg>
      </div>
      <p class="legend">
        <c:forEach var="s" items="${['pending', 'queued', 'running', 'waiting', 'awaiting-approval', 'succeeded', 'failed', 'skipped', 'cancelled']}">
          <span class="badge state-<c:out value='${s}'/>"><c:out value="${s}"/></span>
        </c:forEach>
        <span class="muted">Dashed edges are taken only when their condition holds.</span>
      </p>

      <h2>Nodes</h2>
      <table id="nodes">
        <thead><tr><th>Node</th><th>Kind</th><th>State</th><th class="number">Attempts</th><th>Started</th><th>Finished</th>
          <th class="number">Duration</th><th>Wakes</th><th>Error</th></tr></thead>
        <tbody>
        <c:forEach var="b" items="${dag.boxes()}">
          <tr data-node="<c:out value='${b.id()}'/>">
            <td><c:out value="${b.title()}"/></td>
            <td><c:out value="${b.kind()}"/></td>
            <td class="state"><span class="badge ${b.stateClass()}"><c:out value="${b.stateText()}"/></span></td>
            <td class="number"><c:out value="${b.node().attempts()}"/></td>
            <td class="started"><c:out value="${b.node().startedAt()}"/></td>
            <td class="finished"><c:out value="${b.node().finishedAt()}"/></td>
            <td class="number duration"><c:out value="${b.duration()}"/></td>
            <td><c:out value="${b.node().wakeAt()}"/></td>
            <td class="error"><c:out value="${b.node().error()}"/></td>
          </tr>
        </c:forEach>
        </tbody>
      </table>

      <c:if test="${not empty proposals}">
        <h2>Proposals</h2>
        <table id="proposals">
          <thead><tr><th>Node</th><th>Agent</th><th>Proposal</th></tr></thead>
          <tbody>
          <c:forEach var="p" items="${proposals}">
            <tr><td><c:out value="${p.id()}"/></td><td><c:out value="${p.agent()}"/></td><td><code class="json"><c:out value="${p.proposal()}"/></code></td></tr>
          </c:forEach>
          </tbody>
        </table>
      </c:if>

      <h2>Approvals</h2>
      <c:choose>
        <c:when test="${empty approvals}"><p class="muted" id="no-approvals">The run asked for none.</p></c:when>
        <c:otherwise>
          <table id="run-approvals">
            <thead><tr><th>Node</th><th>Why</th><th>State</th><th>Action</th><th class="number">Confidence</th><th>Asked</th>
              <th>Decided</th><th>By</th><th>Comment</th></tr></thead>
            <tbody>
            <c:forEach var="a" items="${approvals}">
              <tr data-approval="<c:out value='${a.id()}'/>">
                <td><c:out value="${a.node()}"/></td><td><c:out value="${a.reason()}"/></td><td class="state"><c:out value="${a.state()}"/></td>
                <td><code class="json"><c:out value="${a.action()}"/></code></td><td class="number"><c:out value="${a.confidence()}"/></td>
                <td><c:out value="${a.createdAt()}"/></td><td><c:out value="${a.decidedAt()}"/></td>
                <td><c:out value="${a.decidedBy()}"/></td><td><c:out value="${a.comment()}"/></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
          <c:if test="${mayAct}"><p class="muted">Pending approvals are decided in <a href="${pageContext.request.contextPath}/admin/approvals?tenant=<c:out value='${tenant}'/>">Approvals</a>.</p></c:if>
        </c:otherwise>
      </c:choose>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
