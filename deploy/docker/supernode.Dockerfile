# The supernode image. Build from the repository root after bin/build (or from an unpacked bin/dist archive,
# whose lib/ holds the same jar):
#   docker build -f deploy/docker/supernode.Dockerfile -t damselfly/supernode:0.1.0 .
FROM eclipse-temurin:21-jre
ARG JAR=supernode/target/damselfly-supernode.jar
RUN useradd --system --uid 10001 --home-dir /var/lib/damselfly damselfly \
    && mkdir -p /var/lib/damselfly/supernode && chown -R damselfly /var/lib/damselfly
COPY ${JAR} /opt/damselfly/lib/damselfly-supernode.jar
USER damselfly
# 8002: peer API, /metrics, /_ping, /_ready, /dashboard; 8001: pieces (CDN)
EXPOSE 8002 8001
VOLUME /var/lib/damselfly/supernode
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8002 && printf 'GET /_ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <(head -1 <&3)"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS --enable-native-access=ALL-UNNAMED -jar /opt/damselfly/lib/damselfly-supernode.jar --home /var/lib/damselfly/supernode --console \"$@\"", "supernode"]
