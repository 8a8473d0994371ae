from seccal.cli import main

main()
