package packaging

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with its continuation lines
// joined.
type instruction struct {
	Cmd, Args string
	Line      int
}

// stage is one FROM ... block.
type stage struct {
	From, Name string
	Ins        []instruction
}

func (s stage) find(cmd string) []instruction {
	var out []instruction
	for _, in := range s.Ins {
		if in.Cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

func parseDockerfile(t *testing.T, path string) []stage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stages []stage
	var cur strings.Builder
	start := 0
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args), Line: start}
		if in.Cmd == "FROM" {
			f := strings.Fields(in.Args)
			s := stage{From: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.Name = f[2]
			}
			stages = append(stages, s)
			return
		}
		if len(stages) == 0 {
			t.Fatalf("%s:%d: %s before the first FROM", path, in.Line, in.Cmd)
		}
		stages[len(stages)-1].Ins = append(stages[len(stages)-1].Ins, in)
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if l, ok := strings.CutSuffix(strings.TrimRight(line, " \t"), "\\"); ok {
			cur.WriteString(l + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	return stages
}

// goVersion returns the go directive of ../go.mod, e.g. "1.26".
func goVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

// TestDockerfile checks what a docker build would rely on, since this
// machine has no Docker engine: a Go build stage of the right version
// making a static binary, and a run stage that runs it as a non-root
// user with a /data volume, a health check on /healthz and the port it
// exposes.
func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t, "Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a run stage", len(stages))
	}
	build, run := stages[0], stages[len(stages)-1]
	if want := "golang:" + goVersion(t); !strings.HasPrefix(build.From, want) || build.Name == "" {
		t.Errorf("build stage FROM %s AS %q, want %s... AS a name (go.mod's version)", build.From, build.Name, want)
	}
	var goBuild string
	for _, in := range build.find("RUN") {
		if strings.Contains(in.Args, "go build") {
			goBuild = in.Args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/postdesk", "-o /out/postdesk"} {
		if !strings.Contains(goBuild, want) {
			t.Errorf("build stage's go build %q lacks %q", goBuild, want)
		}
	}
	for _, in := range build.find("COPY") {
		for _, f := range strings.Fields(in.Args) {
			if f == "go.mod" || f == "go.sum" {
				if _, err := os.Stat(filepath.Join("..", f)); err != nil {
					t.Errorf("COPY %s: %v", f, err)
				}
			}
		}
	}

	copied := false
	for _, in := range run.find("COPY") {
		if strings.Contains(in.Args, "--from="+build.Name) && strings.Contains(in.Args, "/out/postdesk /usr/local/bin/postdesk") {
			copied = true
		}
	}
	if !copied {
		t.Errorf("run stage does not COPY --from=%s /out/postdesk /usr/local/bin/postdesk", build.Name)
	}
	users := run.find("USER")
	if len(users) == 0 {
		t.Fatal("run stage has no USER: it would run as root")
	}
	user := strings.Split(users[len(users)-1].Args, ":")[0]
	if user == "root" || user == "0" {
		t.Errorf("USER %s: must not be root", user)
	}
	if !strings.Contains(strings.Join(argsOf(run.find("RUN")), " "), "adduser") {
		t.Errorf("run stage never creates the user %s", user)
	}
	if v := argsOf(run.find("VOLUME")); !slices.ContainsFunc(v, func(s string) bool { return strings.Contains(s, "/data") }) {
		t.Errorf("VOLUME %v, want /data", v)
	}
	exposed := argsOf(run.find("EXPOSE"))
	hc := argsOf(run.find("HEALTHCHECK"))
	if len(hc) != 1 || len(exposed) != 1 {
		t.Fatalf("HEALTHCHECK %v, EXPOSE %v: want one of each", hc, exposed)
	}
	m := regexp.MustCompile(`CMD .*http://127\.0\.0\.1:(\d+)/healthz`).FindStringSubmatch(hc[0])
	if m == nil {
		t.Fatalf("HEALTHCHECK %q does not ask http://127.0.0.1:PORT/healthz", hc[0])
	}
	if m[1] != exposed[0] {
		t.Errorf("HEALTHCHECK asks port %s, EXPOSE %s", m[1], exposed[0])
	}
	ep := argsOf(run.find("ENTRYPOINT"))
	cmd := argsOf(run.find("CMD"))
	if len(ep) != 1 || !strings.Contains(ep[0], `"/usr/local/bin/postdesk"`) || len(cmd) != 1 || !strings.Contains(cmd[0], `"serve"`) {
		t.Errorf("ENTRYPOINT %v CMD %v, want the binary in exec form running serve", ep, cmd)
	}
}

func argsOf(ins []instruction) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Args)
	}
	return out
}

// unit is a systemd unit file: section -> key -> values (in order).
type unit map[string]map[string][]string

func parseUnit(t *testing.T, path string) unit {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u := unit{}
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not a key=value line in a section: %q", path, i+1, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

func (u unit) get(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// TestSystemdUnit checks the unit's hardening and runs systemd-analyze:
// verify (any warning fails, e.g. a misspelt key) and the offline
// security score, which must stay at 2.0 ("OK") or better.
func TestSystemdUnit(t *testing.T) {
	u := parseUnit(t, "postdesk.service")
	want := map[string]string{
		"User": "postdesk", "Group": "postdesk", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
		"PrivateTmp": "yes", "PrivateDevices": "yes", "StateDirectory": "postdesk", "ReadWritePaths": "/var/lib/postdesk",
		"CapabilityBoundingSet": "", "Restart": "on-failure",
	}
	for k, v := range want {
		if _, ok := u["Service"][k]; !ok || u.get("Service", k) != v {
			t.Errorf("[Service] %s=%q, want %q", k, u.get("Service", k), v)
		}
	}
	exec0 := strings.Fields(u.get("Service", "ExecStart"))
	if len(exec0) < 4 || exec0[1] != "serve" || exec0[2] != "--config" {
		t.Errorf("ExecStart=%v, want BINARY serve --config FILE", exec0)
	}
	if u.get("Install", "WantedBy") != "multi-user.target" {
		t.Errorf("[Install] WantedBy=%q", u.get("Install", "WantedBy"))
	}
	sysusers, err := os.ReadFile("postdesk.sysusers")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^u postdesk - .* /var/lib/postdesk$`).Match(sysusers) {
		t.Errorf("postdesk.sysusers does not create the user postdesk:\n%s", sysusers)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		msg := "systemd-analyze not found (apt-get install systemd): the unit was checked by structure only"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + ", and CI is set")
		}
		t.Skip(msg)
	}
	// verify needs ExecStart to exist: point it at a stand-in.
	dir := t.TempDir()
	bin := filepath.Join(dir, "postdesk")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile("postdesk.service")
	copyPath := filepath.Join(dir, "postdesk.service")
	os.WriteFile(copyPath, []byte(strings.Replace(string(src), "ExecStart="+exec0[0], "ExecStart="+bin, 1)), 0o644)
	out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=yes", "--threshold=20", copyPath).CombinedOutput()
	score := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if err != nil || score == nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	f, _ := strconv.ParseFloat(string(score[1]), 64)
	t.Logf("systemd-analyze security: exposure %s (0 = locked down, 10 = exposed)", fmt.Sprint(f))
}
