package dovecottest

import "syscall"

// sysProcAttr puts the master in its own process group, so that stop can
// kill everything it started, and has the kernel kill it if the test
// process dies without cleaning up.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
