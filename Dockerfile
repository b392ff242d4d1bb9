# The seminar server. Multi-stage: build with the Rust toolchain, run on a
# minimal glibc image (SQLite is compiled in; PostgreSQL is reached over TCP).
#
#   docker build -t seminar .
#   docker run -p 8000:8000 -e SEMINAR_SECRET=... -v seminar-data:/data seminar

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p seminar \
    && cp target/release/seminar /seminar \
    && mkdir /data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /seminar /usr/local/bin/seminar
# A named volume takes this directory's owner: the nonroot user (65532).
COPY --from=build --chown=65532:65532 /data /data
ENV SEMINAR_ADDR=0.0.0.0:8000 \
    SEMINAR_PROFILE=prod \
    DATABASE_URL=sqlite:/data/seminar.db
VOLUME ["/data"]
EXPOSE 8000
USER nonroot
# No shell or curl in distroless: the binary checks itself (GET /readyz on
# SEMINAR_ADDR, exit 0 or 1). On SIGTERM it drains for SEMINAR_SHUTDOWN_TIMEOUT
# (10 s): keep `docker stop -t` above that.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/seminar", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/seminar"]
