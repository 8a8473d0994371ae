package share

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

func fixture(t *testing.T) *Server {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "share", "docs"), 0o755)
	os.WriteFile(filepath.Join(dir, "share", "docs", "a.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte("TOKEN=xyz"), 0o644)
	return &Server{Root: filepath.Join(dir, "share")}
}

func get(s *Server, file string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/download?file="+url.QueryEscape(file), nil))
	return rec
}
