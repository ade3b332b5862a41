# The dfdaemon image (one per node, see deploy/kubernetes/dfdaemon.yaml). Build from the repository root
# after bin/build:
#   docker build -f deploy/docker/dfdaemon.Dockerfile -t damselfly/dfdaemon:0.1.0 .
FROM eclipse-temurin:21-jre
ARG JAR=dfdaemon/target/damselfly-dfdaemon.jar
RUN useradd --system --uid 10001 --home-dir /var/lib/damselfly damselfly \
    && mkdir -p /var/lib/damselfly/dfdaemon /etc/damselfly && chown -R damselfly /var/lib/damselfly
COPY ${JAR} /opt/damselfly/lib/damselfly-dfdaemon.jar
COPY deploy/conf/dfdaemon.yml /etc/damselfly/dfdaemon.yml
USER damselfly
# 65001: registry mirror, HTTP proxy, /metrics, /_ping, /_ready; the upload port is set by --upload-port
EXPOSE 65001 65002
VOLUME /var/lib/damselfly/dfdaemon
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS --enable-native-access=ALL-UNNAMED -jar /opt/damselfly/lib/damselfly-dfdaemon.jar --home /var/lib/damselfly/dfdaemon --config /etc/damselfly/dfdaemon.yml --console \"$@\"", "dfdaemon"]
