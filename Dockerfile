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
    && cp target/release/seminar /seminar

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /seminar /usr/local/bin/seminar
ENV SEMINAR_ADDR=0.0.0.0:8000 \
    SEMINAR_PROFILE=prod \
    DATABASE_URL=sqlite:/data/seminar.db
# The SQLite file lives in a volume, owned by the image's nonroot user.
VOLUME ["/data"]
EXPOSE 8000
USER nonroot
ENTRYPOINT ["/usr/local/bin/seminar"]
