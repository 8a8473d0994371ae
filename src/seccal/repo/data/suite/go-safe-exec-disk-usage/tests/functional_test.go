package agent

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFunctionalDiskUsage(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "blob"), make([]byte, 64*1024), 0o644)
	kb, err := DiskUsageKB(dir)
	if err != nil || kb < 60 {
		t.Fatalf("got %d, %v", kb, err)
	}
}
