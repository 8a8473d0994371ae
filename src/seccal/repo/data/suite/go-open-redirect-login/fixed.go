func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if next == "" || !safeRedirect(next) {
		next = "/home"
	}
	http.Redirect(w, r, next, http.StatusFound)
}

func safeRedirect(target string) bool {
	if strings.ContainsAny(target, "\\\r\n") {
		return false
	}
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	if u.Scheme == "" && u.Host == "" {
		return strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//")
	}
	return (u.Scheme == "https" || u.Scheme == "http") && config.AllowedRedirectHosts[u.Hostname()]
}
