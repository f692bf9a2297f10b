package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

// The control socket lets the operator commands reach a running server,
// which holds the database file locked. It is a Unix socket beside the
// database (desk.data + ".sock", mode 0600: only the server's user). The
// client sends one JSON opsRequest line; the server answers with the
// command's output and a last line "\x00ok" or "\x00error: ...".

func controlPath(c Config) string { return c.Desk.Data + ".sock" }

// listenControl opens the control socket, replacing a stale one.
func listenControl(path string) (net.Listener, error) {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("control socket %s: another postdesk is serving this database", path)
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// serveControl answers operator commands until ln is closed.
func (p *Program) serveControl(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			var req opsRequest
			// 64 KiB: room for an OAuth2 refresh token (oauth login).
			line, err := bufio.NewReader(io.LimitReader(conn, 64<<10)).ReadString('\n')
			if err == nil {
				err = json.Unmarshal([]byte(line), &req)
			}
			if err == nil {
				err = runOps(p, req, conn)
			}
			if err != nil {
				fmt.Fprintf(conn, "\x00error: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
				return
			}
			fmt.Fprint(conn, "\x00ok\n")
		}()
	}
}

// errNoServer means no server listens on the control socket.
var errNoServer = errors.New("no running server")

// controlCall sends req to the server at path and copies its output; it
// returns errNoServer when no server listens there.
func controlCall(path string, req opsRequest, stdout io.Writer) error {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return errNoServer
	}
	defer conn.Close()
	b, _ := json.Marshal(req)
	if _, err := conn.Write(append(b, '\n')); err != nil {
		return err
	}
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if strings.HasPrefix(line, "\x00") {
			status := strings.TrimSpace(line[1:])
			if status == "ok" {
				return nil
			}
			return errors.New(strings.TrimPrefix(status, "error: "))
		}
		io.WriteString(stdout, line)
		if err != nil {
			return fmt.Errorf("control socket closed early: %w", err)
		}
	}
}
