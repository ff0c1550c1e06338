from assets_pipeline.launch import main

main()
