# Roster: one image for every instance. Build with `docker build -t roster .`; see README
# "Running in production" and compose.yaml. Both stages use the same Debian base, so the
# native better-sqlite3 binary built in the first runs in the second.

# ---- build: install from the lock file, compile the server and the console, drop dev deps
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is a native module: npm fetches a prebuilt binary where one exists and
# compiles it otherwise, which needs these (they stay in this stage).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Dependencies first, without the prepare script (it builds, and the sources are not here
# yet), so this layer is reused until the lock file changes; then run the install scripts
# (better-sqlite3, esbuild).
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY console ./console
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
# Of better-sqlite3 only the compiled addon is loaded; its C sources and object files are ~30 MB.
RUN cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/

# ---- runtime: production dependencies, compiled code and the console, as a non-root user
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ROSTER_DB=/data/roster.db
WORKDIR /app
# Owned by root and read-only to the `node` user that runs Roster.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
# /data holds the SQLite file when ROSTER_DB is not a postgres:// URL.
RUN mkdir /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Liveness only: readiness (/readyz) also needs the database and is for the load balancer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Roster handles SIGTERM itself (drains, closes the database, exits 0).
ENTRYPOINT ["node", "bin/roster.js"]
CMD ["serve"]
