# Steward: build the WAR and assemble the Liberty server with Maven, then run it on the official Open Liberty image.
# Production configuration comes from the environment (see README): STEWARD_DB_URL, STEWARD_DB_USER,
# STEWARD_DB_PASSWORD, STEWARD_ADMIN_TOKEN, STEWARD_MASTER_KEY. The image has no embedded database.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src src
COPY db db
COPY liberty liberty
RUN ./mvnw -B -ntp -DskipTests package

FROM icr.io/appcafe/open-liberty:25.0.0.12-full-java17-openj9-ubi-minimal
# The assembled server directory: server.xml, bootstrap.properties, jvm.options, apps/steward.war, lib/jdbc.
COPY --chown=1001:0 --from=build /src/target/liberty/wlp/usr/servers/steward/server.xml \
     /src/target/liberty/wlp/usr/servers/steward/bootstrap.properties \
     /src/target/liberty/wlp/usr/servers/steward/jvm.options /config/
COPY --chown=1001:0 --from=build /src/target/liberty/wlp/usr/servers/steward/apps /config/apps
COPY --chown=1001:0 --from=build /src/target/liberty/wlp/usr/servers/steward/lib /config/lib
ENV STEWARD_HTTP_PORT=9080
EXPOSE 9080
RUN configure.sh
