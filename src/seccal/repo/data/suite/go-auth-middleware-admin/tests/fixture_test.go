package inventory

import (
	"net/http"
	"net/http/httptest"
)

func call(a *App, method, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	a.Routes().ServeHTTP(rec, req)
	return rec
}

func newApp() *App { return &App{Items: []string{"bolt", "nut"}} }

var _ = http.MethodGet
