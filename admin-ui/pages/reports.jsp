<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reports · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Reports</h1>
  <c:choose>
    <c:when test="${empty tenant}">
      <%@ include file="choose-tenant.jspf" %>
    </c:when>
    <c:otherwise>
      <p>The analysts' SQL reports (<code>reports/*.sql</code>), run on this tenant's data and downloaded as CSV.
        Dates and times are UTC; a period is from its first day up to but not including <code>to</code>. A blank
        field takes the default shown in it.</p>
      <form id="report-form" class="filters" method="get" action="${pageContext.request.contextPath}/admin/reports">
        <c:if test="${choosesTenant}"><input type="hidden" name="tenant" value="<c:out value='${tenant}'/>"></c:if>
        <c:forEach var="f" items="${fields}">
          <label><c:out value="${f.name()}"/>
            <input id="field-<c:out value='${f.name()}'/>" type="${f.type()}" name="<c:out value='${f.name()}'/>"
                   value="<c:out value='${f.value()}'/>" placeholder="<c:out value='${f.placeholder()}'/>"></label>
        </c:forEach>
        <button id="apply" type="submit">Apply to the links</button>
      </form>
      <c:if test="${not empty error}"><p class="error" role="alert"><c:out value="${error}"/></p></c:if>
      <table id="reports">
        <thead><tr><th>Report</th><th>Answers</th><th>Reads</th><th></th></tr></thead>
        <tbody>
        <c:forEach var="r" items="${reports}">
          <tr data-report="<c:out value='${r.name()}'/>">
            <td><code><c:out value="${r.name()}"/></code></td>
            <td><c:out value="${r.description()}"/></td>
            <td><c:forEach var="v" items="${r.variables()}" varStatus="s"><c:out value="${v}"/><c:if test="${not s.last}">, </c:if></c:forEach></td>
            <td><a class="csv" href="<c:out value='${r.href()}'/>" download>CSV</a></td>
          </tr>
        </c:forEach>
        </tbody>
      </table>
    </c:otherwise>
  </c:choose>
</main>
</body>
</html>
