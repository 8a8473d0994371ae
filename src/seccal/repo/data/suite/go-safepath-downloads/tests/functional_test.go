package share

import "testing"

func TestFunctionalDownload(t *testing.T) {
	s := fixture(t)
	rec := get(s, "docs/a.txt")
	if rec.Code != 200 || rec.Body.String() != "hello" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if rec := get(s, "docs/missing.txt"); rec.Code != 404 {
		t.Fatalf("missing: got %d", rec.Code)
	}
}
