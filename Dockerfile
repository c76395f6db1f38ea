# Builds Forumdesk and runs one role of it: worker | webhook | run (both in one JVM).
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q install -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar /app/forumdesk.jar
COPY --from=build /src/app/target/lib /app/lib
ENV FORUMDESK_DATA_DIR=/var/lib/forumdesk
# --enable-native-access: no JDK warning for JNA's native library (JDK 24+ prints one; accepted since
# 17). ./forumdesk adds --sun-misc-unsafe-memory-access=allow too, which this JDK 21 would refuse.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:SweeperThreshold=50", "-XX:MetaspaceSize=128m", "-cp", "/app/forumdesk.jar:/app/lib/*", "dev.forumdesk.app.Forumdesk"]
CMD ["run"]
