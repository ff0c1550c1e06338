from assets_pipeline.cli import main

main()
