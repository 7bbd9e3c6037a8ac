<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ page import="java.math.RoundingMode" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Quotas · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Quotas<c:if test="${not empty tenantSlug}"> of <c:out value="${tenantSlug}"/></c:if></h1>
  <c:choose>
    <c:when test="${empty tenant}"><%@ include file="choose-tenant.jspf" %></c:when>
    <c:otherwise>
      <h2>Limits</h2>
      <p class="hint">What the constraint engine checks before each job runs: the tenant's own limits, its agents' and
        its provider accounts'. Rates are buckets that refill over a minute; the budget is this month's (UTC) model
        spend. Concurrency is counted from running jobs as each job is admitted. Empty: no limit.</p>
      <table id="quotas">
        <thead><tr><th>Subject</th><th>Concurrency</th><th>Requests per minute</th><th>Tokens per minute</th>
          <th>Monthly budget</th></tr></thead>
        <tbody>
        <c:forEach var="q" items="${quotas}">
          <tr data-subject="<c:out value='${q.subject()}'/>">
            <td class="subject"><c:choose>
              <c:when test="${q.subject() == 'tenant'}">the tenant</c:when>
              <c:when test="${not empty q.agentId()}">agent <c:out value="${empty agentNames[q.agentId()] ? q.agentId() : agentNames[q.agentId()]}"/></c:when>
              <c:otherwise><c:out value="${q.subject()}"/></c:otherwise>
            </c:choose></td>
            <td class="concurrency"><c:if test="${q.concurrency() != null}"><c:out value="${q.concurrency()}"/> at once<c:if test="${q.defaulted().contains('concurrency')}"> (default)</c:if></c:if></td>
            <td class="per-minute"><c:if test="${q.perMinute() != null}">
              <c:set var="barUsed" value="${q.perMinute() - q.requestsLeft()}"/><c:set var="barCap" value="${q.perMinute()}"/>
              <c:set var="barLabel" value="requests used this minute"/><%@ include file="bar.jspf" %>
              <span class="figures"><c:out value="${q.requestsLeft()}"/> of <c:out value="${q.perMinute()}"/> left</span><c:if test="${q.defaulted().contains('perMinute')}"> (default)</c:if>
            </c:if></td>
            <td class="tokens-per-minute"><c:if test="${q.tokensPerMinute() != null}">
              <c:set var="barUsed" value="${q.tokensPerMinute() - q.tokensLeft()}"/><c:set var="barCap" value="${q.tokensPerMinute()}"/>
              <c:set var="barLabel" value="tokens used this minute"/><%@ include file="bar.jspf" %>
              <span class="figures"><c:out value="${q.tokensLeft()}"/> of <c:out value="${q.tokensPerMinute()}"/> left</span>
            </c:if></td>
            <td class="budget"><c:choose>
              <c:when test="${q.monthlyBudget() != null}">
                <c:set var="barUsed" value="${q.spentThisMonth()}"/><c:set var="barCap" value="${q.monthlyBudget()}"/>
                <c:set var="barLabel" value="budget spent this month"/><%@ include file="bar.jspf" %>
                <span class="figures"><c:out value="${q.spentThisMonth().setScale(2, RoundingMode.HALF_UP).toPlainString()}"/> of <c:out value="${q.monthlyBudget().setScale(2, RoundingMode.HALF_UP).toPlainString()}"/> spent</span>
              </c:when>
              <c:when test="${q.spentThisMonth() != null}"><span class="figures"><c:out value="${q.spentThisMonth().setScale(2, RoundingMode.HALF_UP).toPlainString()}"/> spent</span></c:when>
            </c:choose></td>
          </tr>
        </c:forEach>
        </tbody>
      </table>
      <%@ include file="pager.jspf" %>

      <h2>Channel accounts</h2>
      <c:choose>
        <c:when test="${empty mailAccounts}"><p id="no-channels">No mail accounts.</p></c:when>
        <c:otherwise>
          <table id="channels">
            <thead><tr><th>Account</th><th>Type</th><th>Address</th><th>Sends today (UTC)</th><th>Daily cap</th></tr></thead>
            <tbody>
            <c:forEach var="m" items="${mailAccounts}">
              <tr data-account="<c:out value='${m.name()}'/>">
                <td class="name"><c:out value="${m.name()}"/><c:if test="${m.isDefault()}"> <span class="tag">default</span></c:if></td>
                <td class="type"><c:out value="${m.type()}"/></td>
                <td><c:out value="${m.address()}"/></td>
                <td class="sent">
                  <c:set var="barUsed" value="${m.sentToday()}"/><c:set var="barCap" value="${m.dailyCap()}"/>
                  <c:set var="barLabel" value="sends today against the daily cap"/><%@ include file="bar.jspf" %>
                  <span class="figures"><c:out value="${m.sentToday()}"/> of <c:out value="${m.dailyCap()}"/></span>
                </td>
                <td class="cap"><c:out value="${m.dailyCap()}"/> <c:out value="${m.ownCap() ? '(the tenant’s own)' : '(the default for '.concat(m.type()).concat(')')}"/></td>
              </tr>
            </c:forEach>
            </tbody>
          </table>
          <c:if test="${moreMailAccounts}"><p class="hint">The first 100 accounts by name.</p></c:if>
        </c:otherwise>
      </c:choose>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
