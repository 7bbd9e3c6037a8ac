<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Queue · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
  <script src="${pageContext.request.contextPath}/admin/static/live.js" defer></script>
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Queue</h1>
  <c:if test="${not empty notice}"><p class="notice" role="status"><c:out value="${notice}"/></p></c:if>
  <section id="queue-live" data-live="5">
    <h2>Now <small>(refreshed every 5 s)</small></h2>
    <table id="queue-tiers">
      <thead><tr><th>Tier</th><th>Waiting</th><th>Oldest wait</th><th>Scheduled</th><th>Running</th>
        <th>Completed / min (last 5 min)</th><th>Dead letters</th></tr></thead>
      <tbody>
      <c:forEach var="l" items="${tiers}">
        <tr data-tier="<c:out value='${l.tier()}'/>">
          <td><c:out value="${l.tier()}"/></td>
          <td class="waiting"><c:out value="${l.waiting()}"/></td>
          <td class="oldest"><c:if test="${l.oldestWaitSeconds() ge 0}"><c:out value="${l.oldestWaitSeconds()}"/> s</c:if></td>
          <td class="scheduled"><c:out value="${l.scheduled()}"/></td>
          <td class="running"><c:out value="${l.running()}"/></td>
          <td class="per-minute"><c:out value="${l.perMinute()}"/></td>
          <td class="dead"><c:out value="${l.deadLetters()}"/></td>
        </tr>
      </c:forEach>
      <c:if test="${empty tiers}"><tr><td colspan="7">Nothing waits, runs or failed.</td></tr></c:if>
      </tbody>
    </table>
    <h3>By tenant</h3>
    <table id="queue-tenants">
      <thead><tr><th>Tenant</th><th>Tier</th><th>Waiting</th><th>Oldest wait</th><th>Scheduled</th><th>Running</th>
        <th>Completed / min</th><th>Dead letters</th></tr></thead>
      <tbody>
      <c:forEach var="l" items="${tenantLoads}">
        <tr data-tenant="<c:out value='${l.tenant()}'/>" data-tier="<c:out value='${l.tier()}'/>">
          <td><a href="?tenant=<c:out value='${l.tenantId()}'/>"><c:out value="${l.tenant()}"/></a></td>
          <td><c:out value="${l.tier()}"/></td>
          <td class="waiting"><c:out value="${l.waiting()}"/></td>
          <td class="oldest"><c:if test="${l.oldestWaitSeconds() ge 0}"><c:out value="${l.oldestWaitSeconds()}"/> s</c:if></td>
          <td class="scheduled"><c:out value="${l.scheduled()}"/></td>
          <td class="running"><c:out value="${l.running()}"/></td>
          <td class="per-minute"><c:out value="${l.perMinute()}"/></td>
          <td class="dead"><c:out value="${l.deadLetters()}"/></td>
        </tr>
      </c:forEach>
      </tbody>
    </table>
  </section>
  <h2>Dead letters</h2>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:when test="${empty deadLetters}">
      <p id="none">No job failed for good.</p>
    </c:when>
    <c:otherwise>
      <table id="dead-letters">
        <thead><tr><th>Job</th><th>Kind</th><th>Tier</th><th>Attempts</th><th>Last error</th><th>Failed</th>
          <th></th></tr></thead>
        <tbody>
        <c:forEach var="d" items="${deadLetters}">
          <tr data-job="<c:out value='${d.id()}'/>">
            <td><c:out value="${d.id()}"/></td>
            <td><c:out value="${d.kind()}"/></td>
            <td><c:out value="${d.priority()}"/></td>
            <td><c:out value="${d.attempts()}"/></td>
            <td><c:out value="${d.lastError()}"/></td>
            <td><c:out value="${d.finishedAt()}"/></td>
            <td>
              <c:if test="${mayAct}">
                <form method="post" action="${pageContext.request.contextPath}/admin/queue">
                  <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
                  <input type="hidden" name="tenant" value="<c:out value='${tenant}'/>">
                  <input type="hidden" name="job" value="<c:out value='${d.id()}'/>">
                  <button name="action" value="retry" type="submit">Retry</button>
                  <button name="action" value="discard" type="submit">Discard</button>
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
