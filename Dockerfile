# One image for the worker, the web app and the Plex simulator; docker-compose.yml picks the command.
# The worker, the web app and the plexsync CLI are compiled once in a build stage (esbuild is a dev
# dependency; the workflow code is bundled there too) and run as JavaScript with a heap limit each, as
# `npm start` runs them (scripts/lib/app-processes.ts); the Plex simulator runs its TypeScript with tsx.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-slim

ENV NODE_ENV=production
# glibc malloc arenas: see APP_PROCESS_ENV in scripts/lib/app-processes.ts
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
# The native OCR program (OCR_ENGINE=auto uses it: about a third less CPU per scanned page than tesseract.js);
# the language models come from npm, so only the program and its English data are installed here.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
# After the sources, so the built CLI is newer than every file it was built from.
COPY --from=build /app/dist ./dist
USER node

EXPOSE 3000
# `node` itself rather than `npm start`: one process, so SIGTERM from `docker stop` reaches the app.
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=16", "dist/cli/web.js"]
