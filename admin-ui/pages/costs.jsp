<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Costs · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Costs</h1>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <form class="filters" method="get" action="${pageContext.request.contextPath}/admin/costs">
        <c:if test="${choosesTenant}"><input type="hidden" name="tenant" value="<c:out value='${tenant}'/>"></c:if>
        <label>From <input id="from" type="date" name="from" value="<c:out value='${from}'/>"></label>
        <label>To (not included) <input id="to" type="date" name="to" value="<c:out value='${to}'/>"></label>
        <button id="show" type="submit">Show</button>
      </form>
      <c:if test="${not empty error}"><p class="error" role="alert"><c:out value="${error}"/></p></c:if>
      <c:if test="${not empty costs}">
        <c:set var="budget" value="${costs.budget()}"/>
        <section id="budget" class="budget ${budget.statusClass()}">
          <h2>This month's budget</h2>
          <c:choose>
            <c:when test="${empty budget.budget()}">
              <p><strong id="budget-status">no budget</strong>: spent <span id="budget-spent"><c:out value="${budget.spent()}"/></span>
                this month, <span id="budget-forecast"><c:out value="${budget.forecast()}"/></span> by its end at this pace.</p>
            </c:when>
            <c:otherwise>
              <dl class="figures">
                <div><dt>Budget</dt><dd id="budget-amount"><c:out value="${budget.budget()}"/></dd></div>
                <div><dt>Spent this month</dt><dd id="budget-spent"><c:out value="${budget.spent()}"/></dd></div>
                <div><dt>Used</dt><dd id="budget-used"><c:out value="${budget.usedPercent()}"/> %</dd></div>
                <div><dt>Month-end forecast</dt><dd id="budget-forecast"><c:out value="${budget.forecast()}"/></dd></div>
                <div><dt>Status</dt><dd id="budget-status"><c:out value="${budget.status()}"/></dd></div>
              </dl>
              <svg id="budget-bar" viewBox="0 0 ${budget.width()} 28" width="100%" height="28" preserveAspectRatio="none" role="img"
                   aria-label="<c:out value='${budget.usedPercent()}'/> % of the budget used; alert at <c:out value='${budget.alertPercent()}'/> %">
                <rect class="track" x="0" y="4" width="${budget.width()}" height="20" rx="3"/>
                <rect class="used" x="0" y="4" width="${budget.usedWidth()}" height="20" rx="3"/>
                <line class="alert-line" vector-effect="non-scaling-stroke" x1="${budget.alertX()}" x2="${budget.alertX()}" y1="0" y2="28"/>
              </svg>
              <p class="hint">The alert line is at <c:out value="${budget.alertPercent()}"/> % of the budget; at the
                budget the hard stop holds model work.</p>
            </c:otherwise>
          </c:choose>
        </section>

        <section id="period">
          <h2>From <c:out value="${from}"/> to <c:out value="${to}"/> (not included)</h2>
          <dl class="figures" id="totals">
            <div><dt>Cost</dt><dd id="total-cost"><c:out value="${costs.totals().cost}"/></dd></div>
            <div><dt>Model calls</dt><dd id="total-calls"><c:out value="${costs.totals().calls}"/></dd></div>
            <div><dt>Input tokens</dt><dd id="total-input"><c:out value="${costs.totals().input_tokens}"/></dd></div>
            <div><dt>Output tokens</dt><dd id="total-output"><c:out value="${costs.totals().output_tokens}"/></dd></div>
            <div><dt>Cached input tokens</dt><dd id="total-cached"><c:out value="${costs.totals().cached_tokens}"/></dd></div>
          </dl>
          <h3>Cost per day</h3>
          <c:set var="chart" value="${costs.costChart()}"/><c:set var="chartId" value="cost-chart"/>
          <c:set var="chartLabel" value="Cost per UTC day"/><%@ include file="daily-chart.jspf" %>
          <h3>Tokens per day (input and output)</h3>
          <c:set var="chart" value="${costs.tokenChart()}"/><c:set var="chartId" value="token-chart"/>
          <c:set var="chartLabel" value="Tokens per UTC day"/><%@ include file="daily-chart.jspf" %>
          <h3>Per day</h3>
          <div id="daily"><c:set var="table" value="${costs.daily()}"/><%@ include file="report-table.jspf" %></div>
          <h3>By agent and version</h3>
          <div id="by-agent"><c:set var="table" value="${costs.byAgent()}"/><%@ include file="report-table.jspf" %></div>
          <h3>By model and provider</h3>
          <div id="by-model"><c:set var="table" value="${costs.byModel()}"/><%@ include file="report-table.jspf" %></div>
          <h3>Tokens by model</h3>
          <div id="tokens"><c:set var="table" value="${costs.tokens()}"/><%@ include file="report-table.jspf" %></div>
          <h3>Top sessions</h3>
          <div id="top-sessions"><c:set var="table" value="${costs.topSessions()}"/><%@ include file="report-table.jspf" %></div>
          <h3>Top workflow runs</h3>
          <div id="top-runs"><c:set var="table" value="${costs.topRuns()}"/><%@ include file="report-table.jspf" %></div>
        </section>
        <p class="hint">The same figures as the analysts' reports (<a href="${pageContext.request.contextPath}/admin/reports<c:if test='${choosesTenant}'>?tenant=<c:out value='${tenant}'/></c:if>">Reports</a>, as CSV), in UTC days.</p>
      </c:if>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
