package sso

import (
	"net/http"
	"net/url"
	"strings"

	"example.com/sso/config"
)

<<<SECCAL_REGION>>>

var (
	_ = url.Parse
	_ = strings.HasPrefix
	_ = config.AllowedRedirectHosts
)
