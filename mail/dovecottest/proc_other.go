//go:build !linux

package dovecottest

import "syscall"

// sysProcAttr puts the master in its own process group, so that stop can
// kill everything it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
