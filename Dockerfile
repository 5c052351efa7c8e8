# storypath in a container: a static musl binary in an empty image.
#
#   docker build -t storypath .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" storypath check
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" storypath build
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" -p 1111:1111 storypath serve --interface 0.0.0.0
#
# The site is mounted at /site, the working folder, so every command finds
# site.toml there and writes public/ beside it. Linted by hadolint in
# tests/recipes.rs; the same static build runs in .ci/static-binary.

FROM rust:1.85-bookworm AS build
# libwebp (C, in the webp crate) is compiled for musl with Debian's musl-gcc.
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs README.md LICENSE-ASSETS.md ./
COPY src src
COPY themes themes
COPY assets/fonts assets/fonts
ENV CC_x86_64_unknown_linux_musl=musl-gcc
RUN cargo build --release --locked --target x86_64-unknown-linux-musl \
 && cp target/x86_64-unknown-linux-musl/release/storypath /storypath

# Nothing but the binary: `storypath jobs pull` carries its own CA roots
# (webpki-roots), so the image needs no certificate store.
FROM scratch
COPY --from=build /storypath /usr/local/bin/storypath
WORKDIR /site
EXPOSE 1111
ENTRYPOINT ["/usr/local/bin/storypath"]
CMD ["build"]
