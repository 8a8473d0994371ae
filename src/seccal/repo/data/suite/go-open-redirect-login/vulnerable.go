func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if next == "" {
		next = "/home"
	}
	http.Redirect(w, r, next, http.StatusFound)
}
