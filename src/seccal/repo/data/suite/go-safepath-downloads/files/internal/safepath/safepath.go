// Package safepath confines untrusted file names to a root directory.
package safepath

import (
	"errors"
	"path/filepath"
	"strings"
)

// ErrOutside is returned for names that would leave the root.
var ErrOutside = errors.New("path escapes root")

// Join returns root/name cleaned, or ErrOutside if the result is not inside root.
func Join(root, name string) (string, error) {
	base, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	if filepath.IsAbs(name) {
		return "", ErrOutside
	}
	full := filepath.Join(base, name)
	if full != base && !strings.HasPrefix(full, base+string(filepath.Separator)) {
		return "", ErrOutside
	}
	return full, nil
}
