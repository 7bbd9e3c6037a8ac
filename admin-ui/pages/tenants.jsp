<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tenants · Steward admin</title>
  <link rel="stylesheet" href="${pageContext.request.contextPath}/admin/static/admin.css">
</head>
<body>
<%@ include file="header.jspf" %>
<main>
  <h1>Tenants</h1>
  <table id="tenants">
    <thead><tr><th>Slug</th><th>Name</th><th>Status</th><th>Created</th><th>Id</th><th></th></tr></thead>
    <tbody>
    <c:forEach var="tenant" items="${tenants}">
      <tr>
        <td class="slug"><c:out value="${tenant.slug()}"/></td>
        <td><c:out value="${tenant.name()}"/></td>
        <td><c:out value="${tenant.status()}"/></td>
        <td><c:out value="${tenant.createdAt()}"/></td>
        <td class="id"><c:out value="${tenant.id()}"/></td>
        <td><a class="keys" href="${pageContext.request.contextPath}/admin/tenants/keys?tenant=<c:out value='${tenant.id()}'/>">API keys</a></td>
      </tr>
    </c:forEach>
    </tbody>
  </table>
</main>
</body>
</html>
