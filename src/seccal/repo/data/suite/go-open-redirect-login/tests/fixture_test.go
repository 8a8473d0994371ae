package sso

import (
	"net/http/httptest"
	"net/url"
)

func redirectFor(next string) (int, string) {
	target := "/after-login"
	if next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	rec := httptest.NewRecorder()
	AfterLogin(rec, httptest.NewRequest("GET", target, nil))
	return rec.Code, rec.Header().Get("Location")
}
