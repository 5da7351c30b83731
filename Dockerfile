# One image for the worker, the web app and the Plex simulator; docker-compose.yml picks the command.
# No build step: tsx (a runtime dependency) runs the TypeScript directly, as `npm start` does.
FROM node:24-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
USER node

EXPOSE 3000
# `node --import tsx` rather than `npx tsx`: one process, so SIGTERM from `docker stop` reaches the app.
CMD ["node", "--import", "tsx", "api/main.ts"]
