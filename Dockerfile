# fanfold in a container. The image's default command is a stateless worker; any other fanfold
# command works too: docker run --rm -e AZURE_STORAGE_CONNECTION_STRING IMAGE status
#
#   docker build -t fanfold:dev .
#   docker build --target build -t fanfold:build .   # the builder, with the unstripped binary
#
# infra/README.md explains deployment (Kubernetes + KEDA, or Azure Functions).

# ---- build -----------------------------------------------------------------------------------
FROM debian:12 AS build

# The build packages of scripts/bootstrap.sh, without Node/Azurite, clang-format and gnuplot
# (tests, demo and report only). GoogleTest is not needed with FANFOLD_BUILD_TESTS=OFF; it stays
# so this stage can also build and run the unit tests (-DFANFOLD_BUILD_TESTS=ON).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config \
      libcurl4-openssl-dev libssl-dev libpugixml-dev nlohmann-json3-dev \
      libcpp-httplib-dev libgtest-dev libgmock-dev \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .

# Only the fanfold target: bench/ and report/ are configured (the top-level CMakeLists adds them
# unconditionally) but not built. There is no .git in the context, so the version's commit reads
# "unknown". Warnings are not errors in an image build: the base image's compiler may be newer
# than the one CI checks with and warn where it did not (the warnings still show in the log).
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFANFOLD_BUILD_TESTS=OFF \
      -DFANFOLD_WERROR=OFF \
 && cmake --build build --target fanfold \
 && mkdir -p /out \
 && strip --strip-debug -o /out/fanfold build/cli/fanfold

# ---- runtime ---------------------------------------------------------------------------------
FROM debian:12-slim

# The shared libraries the binary links (libcurl, OpenSSL, pugixml, cpp-httplib; their own
# dependencies come along), and the CA bundle libcurl verifies Azure's TLS certificates with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcurl4 libssl3 libpugixml1v5 libcpp-httplib0.11 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# A fixed numeric uid, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
RUN groupadd --system --gid 10001 fanfold \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin fanfold

COPY --from=build /out/fanfold /usr/local/bin/fanfold

# Fails the build if a runtime library is missing, instead of the first pod start.
RUN ! ldd /usr/local/bin/fanfold | grep -F 'not found' && fanfold --version

USER 10001:10001
# Prometheus text at /metrics, liveness at /healthz (with --metrics-addr below).
EXPOSE 9464
# No init process needed: the worker takes SIGTERM through sigtimedwait, so as PID 1 it still
# finishes in-flight work and exits 0; it starts no child processes.
ENTRYPOINT ["fanfold"]
CMD ["worker","--log-format","json","--metrics-addr","0.0.0.0:9464"]
