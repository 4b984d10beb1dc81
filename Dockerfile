# callrecon receive in a container. Build: docker build -t callrecon .
# Run:  docker run -d --name callrecon-receive -p 127.0.0.1:8080:8080 \
#         -v callrecon-pushes:/data -e CALLRECON_APP_KEY=<app key> \
#         -v /etc/callrecon/app-secret:/run/secrets/app-secret:ro callrecon
# One container a volume: the folder lock tells receivers apart by process id, and every
# container's process is pid 1.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
ENV CALLRECON_APP_SECRET_FILE=/run/secrets/app-secret
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli/main.js", "receive"]
CMD ["--dir", "/data", "--host", "0.0.0.0", "--port", "8080"]
