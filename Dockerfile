# One image for every gateway app; the command picks the app (see deploy/k8s and docker-compose.yml).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# patches/ holds fixes to dependencies that npm's postinstall (patch-package) applies.
COPY package.json package-lock.json ./
COPY patches patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY tools tools
COPY bench bench
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Text to speech of the call orchestrator: espeak-ng renders, sox resamples for Asterisk.
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json package.json
USER node
# e.g. docker run IMAGE node dist/apps/api/src/main.js
CMD ["node", "--enable-source-maps", "dist/apps/api/src/main.js"]
