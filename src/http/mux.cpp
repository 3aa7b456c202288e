// placeholder: ServeMux (being written)
