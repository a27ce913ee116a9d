# One image per service, from the same file:
#   docker build --build-arg SERVICE=inventory -t inventory:dev .
#   docker build --build-arg SERVICE=pricing   -t pricing:dev .
#
# Stage 1 bundles the service with esbuild (node build.mjs SERVICE). Stage 2 is
# the distroless Node 24 image, nonroot variant: no shell, no npm, no
# node_modules; only the bundle, its source map and the licence notices.
#
# Base images are pinned by digest: the tag says what it is, the digest makes
# the build repeatable (the same bytes in dev and in the prod promotion). The
# tag alone would move with Node 24 patch releases and Debian security fixes.
# To bump (README, "Base image digests"): read the new index digest with
#   crane digest public.ecr.aws/docker/library/node:24.X.Y-bookworm-slim
#   crane digest gcr.io/distroless/nodejs24-debian12:nonroot
# (or docker buildx imagetools inspect IMAGE), replace both below, commit.

# Build stage: the same Node release the repository pins (package.json "node"),
# the Docker official image through its ECR Public mirror (no Docker Hub rate
# limit in CodeBuild).
FROM public.ecr.aws/docker/library/node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553 AS build
ARG SERVICE
WORKDIR /app
RUN case "${SERVICE}" in inventory|pricing) ;; *) echo "build with --build-arg SERVICE=inventory|pricing (got '${SERVICE}')" >&2; exit 2 ;; esac
# Dependencies first, so this layer is cached until the lockfile changes.
# Scripts are skipped: the esbuild binary comes from its platform package, and
# the pinned `node` package's download is not needed in an image that has Node.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY build.mjs tsconfig.json ./
COPY src ./src
RUN node build.mjs "${SERVICE}"

FROM gcr.io/distroless/nodejs24-debian12:nonroot@sha256:14d42e2511532589a7c7e01a753667a74fcc96266e137e8125006b87b0c32d0a
ARG SERVICE
ARG REVISION=unknown
ARG VERSION=dev
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="stockprice ${SERVICE} service (bundled with esbuild, distroless Node 24)" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.vendor="stockprice" \
      org.opencontainers.image.base.name="gcr.io/distroless/nodejs24-debian12:nonroot"
WORKDIR /app
# The bundle is renamed to main.mjs so that ENTRYPOINT needs no build argument;
# its sourceMappingURL and licence comments still name SERVICE.mjs.map and
# SERVICE.mjs.LEGAL.txt, copied beside it under those names.
COPY --from=build /app/dist/${SERVICE}.mjs /app/main.mjs
COPY --from=build /app/dist/${SERVICE}.mjs.map /app/${SERVICE}.mjs.map
COPY --from=build /app/dist/${SERVICE}.mjs.LEGAL.txt /app/${SERVICE}.mjs.LEGAL.txt
# 65532 is the distroless "nonroot" user; numeric so that Kubernetes can check
# runAsNonRoot against the image.
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps", "/app/main.mjs"]
