// Package runner executes external programs without a shell.
package runner

import (
	"context"
	"os/exec"
	"time"
)

// Output runs name with args (no shell interpretation) and returns stdout.
func Output(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	return string(out), err
}
