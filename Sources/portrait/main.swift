import PortraitCLI

PortraitCommand.main()
