func (a *App) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/items", auth.RequireRole("user", a.listItems))
	mux.HandleFunc("/admin/reset", a.reset)
	return mux
}
