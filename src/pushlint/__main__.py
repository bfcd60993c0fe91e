from pushlint.cli import main

main()
