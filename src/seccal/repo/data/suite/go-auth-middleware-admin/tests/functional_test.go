package inventory

import (
	"strings"
	"testing"
)

func TestFunctionalRoutes(t *testing.T) {
	a := newApp()
	if rec := call(a, "GET", "/items", "tok-user"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "bolt") {
		t.Fatalf("list: %d %s", rec.Code, rec.Body.String())
	}
	if rec := call(a, "POST", "/admin/reset", "tok-admin"); rec.Code != 204 || len(a.Items) != 0 {
		t.Fatalf("reset: %d items=%v", rec.Code, a.Items)
	}
}
