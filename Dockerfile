# The `corridor` binary in a small image (deploy/k8s/ runs it). The binary embeds its dataset
# and needs no other file; a detailed snapshot is mounted read only at run time.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p corridor-cli && strip target/release/corridor

FROM debian:bookworm-slim
COPY --from=build /src/target/release/corridor /usr/local/bin/corridor
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["corridor"]
