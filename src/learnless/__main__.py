from learnless.cli.main import main

main()
