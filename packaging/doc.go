// Package packaging holds how postdesk is installed: a Dockerfile
// (multi-stage, static binary, non-root, /data volume, health check) and
// a hardened systemd unit with its sysusers.d file. It has no code; its
// tests check the files' structure, and run systemd-analyze on the unit,
// so that a broken edit fails. README "Running as a service" and
// "Running in a container" explain their use.
package packaging
