# syntax=docker/dockerfile:1
# postdesk in a container: a static binary on distroless, running as an
# unprivileged user, with the database on the /data volume. Build:
#   docker build --build-arg VERSION=$(git describe --tags --always) --build-arg COMMIT=$(git rev-parse --short HEAD) -t postdesk .
# Run (config with desk.data = "/data/postdesk.db", web.listen = "0.0.0.0:8080"):
#   docker run -d --name postdesk -v postdesk-data:/data -v $PWD/postdesk.toml:/config/postdesk.toml:ro \
#     -e POSTDESK_SECRET=... -p 127.0.0.1:8080:8080 postdesk
# Operator commands reach the running server over its control socket:
#   docker exec postdesk postdesk tickets list --config /config/postdesk.toml

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
# Static (no cgo), with the time zone database built in (hours.timezone).
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/postdesk ./cmd/postdesk \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/postdesk /usr/local/bin/postdesk
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
# 8080: tracking pages (put your HTTPS proxy in front); 9090: metrics.listen if set.
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/postdesk", "health", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/postdesk"]
CMD ["serve", "--config", "/config/postdesk.toml"]
